// Messages between the last chapter's training lab and its Worker: load a dataset, train with
// chosen hyperparameters, pause and resume, and the progress, curves and results coming back.

/** The hyperparameters a reader can set before training. */
export interface LabSettings {
  hidden: number[];
  optimizer: 'adam' | 'sgd' | 'rmsprop';
  learningRate: number;
  batchSize: number;
  epochs: number;
  seed: number;
  /** Train on randomly shifted copies of the images, new every batch (lib/augmentation.ts), also mirrored where that keeps the class. */
  augment?: boolean;
}

/** Page → Worker. */
export type LabRequest =
  | { type: 'load'; dataset: string; files: Record<string, string> }
  | { type: 'train'; settings: LabSettings }
  | { type: 'pause' }
  | { type: 'resume' };

/** What the lab shows at the end of training. */
export interface LabResults {
  testAccuracy: number;
  testLoss: number;
  /** Rows: true class; columns: predicted class. */
  confusion: number[][];
  /** The most confidently wrong test images: pixels, true class, predicted class, confidence. */
  wrong: Array<{ pixels: number[]; label: number; predicted: number; confidence: number }>;
  /** The first layer's weights of its first 16 neurons, each as 784 values scaled to [0, 1]. */
  weights: number[][];
}

/** One thing diagnose() (lib/diagnosis.ts) found wrong with a run: its kind, what happened, and what to try. */
export interface LabFinding {
  kind: string;
  message: string;
  advice: string;
}

/** Worker → page. */
export type LabMessage =
  | { type: 'download'; file: string; received: number; total: number }
  | { type: 'loaded'; train: number; validation: number; test: number }
  | { type: 'progress'; epoch: number; epochs: number; step: number; steps: number; loss: number; accuracy: number }
  | { type: 'epoch'; epoch: number; loss: number; accuracy: number; validationAccuracy: number; seconds: number }
  | { type: 'paused' }
  /** `findings`: what diagnose() saw wrong in a run that finished but stalled (a flat, rising or oscillating loss, dead ReLUs). */
  | { type: 'finished'; results: LabResults; findings?: LabFinding[] }
  /** `findings`: what diagnose() made of the run that failed (divergence, NaN), when training had started. */
  | { type: 'error'; message: string; findings?: LabFinding[] };
