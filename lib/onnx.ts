// ONNX export: a trained Sequential written as an ONNX model (Gemm, BatchNormalization, Relu, Sigmoid, Softmax), so
// the network a reader built from scratch runs in onnxruntime and the other runtimes the industry
// uses. No protobuf library: a small writer below emits the few onnx.proto messages it needs.
// Chapter 13, training on real data, mentions it; `npm run export-onnx` writes a file.
import { ScratchnetError } from './errors.ts';
import { Linear, ReLU, Sigmoid, Softmax } from './activations.ts';
import { Dropout } from './dropout.ts';
import { Dense, describeLayer, layerSizes, type Layer } from './layers.ts';
import { BatchNormalization } from './normalization.ts';
import type { Sequential } from './model.ts';
import { checkWeightValues } from './schema.ts';

/** Optional settings for exportONNX. */
export interface ONNXExportOptions {
  /** The name of the graph's input, (batch × nInputs) float32; defaults to 'input'. */
  inputName?: string;
  /** The name of the graph's output, (batch × nOutputs) float32; defaults to 'output'. */
  outputName?: string;
  /** Recorded as the model's producer_version (its producer_name is 'scratchnet'); left out when not given. */
  producerVersion?: string;
  /** The ONNX operator set the model imports, from 13 (the default, the first with today's Softmax) to 18, the last that IR version 8 covers. */
  opset?: number;
}

/** The ONNX IR version written: 8, that of ONNX 1.10 to 1.13, which every onnxruntime since 1.10 reads. */
export const ONNX_IR_VERSION = 8;

/** The operator sets exportONNX can import: 13 to 18, those of ONNX releases whose IR version is 8 or older. */
export const ONNX_OPSETS = { first: 13, last: 18 } as const;

const WIRE = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;
const TENSOR_FLOAT = 1; // TensorProto.DataType FLOAT (DOUBLE would be 11)
const ATTRIBUTE = { FLOAT: 1, INT: 2 } as const; // AttributeProto.AttributeType
const encoder = new TextEncoder();

/** A protobuf message being written: fields in order, each a tag (field number << 3 | wire type) and its value. */
class ProtoWriter {
  private readonly parts: Uint8Array[] = [];
  private scratch: number[] = [];

  /** An int32, int64 or enum field; negative numbers take ten bytes, as int64 two's complement. */
  varint(field: number, value: number): this {
    this.tag(field, WIRE.varint);
    this.rawVarint(BigInt.asUintN(64, BigInt(value)));
    return this;
  }

  /** A float field, as four little-endian bytes. */
  float(field: number, value: number): this {
    this.tag(field, WIRE.fixed32);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    return this.push(bytes);
  }

  /** A length-delimited field: bytes, a UTF-8 string, or a nested message. */
  bytes(field: number, value: Uint8Array | string | ProtoWriter): this {
    const data = typeof value === 'string' ? encoder.encode(value) : value instanceof ProtoWriter ? value.finish() : value;
    this.tag(field, WIRE.bytes);
    this.rawVarint(BigInt(data.length));
    return this.push(data);
  }

  /** The message's bytes. */
  finish(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.parts.reduce((total, part) => total + part.length, 0));
    this.parts.reduce((offset, part) => (out.set(part, offset), offset + part.length), 0);
    return out;
  }

  private tag(field: number, wireType: number): void {
    this.rawVarint(BigInt((field << 3) | wireType));
  }

  /** Seven bits a byte, lowest first, the top bit set on every byte but the last. */
  private rawVarint(value: bigint): void {
    while (value >= 0x80n) {
      this.scratch.push(Number(value & 0x7fn) | 0x80);
      value >>= 7n;
    }
    this.scratch.push(Number(value));
  }

  private push(data: Uint8Array): this {
    this.flush();
    this.parts.push(data);
    return this;
  }

  private flush(): void {
    if (this.scratch.length) this.parts.push(Uint8Array.from(this.scratch));
    this.scratch = [];
  }
}

/** One graph node before it is written: its op, the initializers it reads after the previous node's output, and its attributes. */
interface GraphNode {
  opType: string;
  weights: string[];
  attributes: Array<{ name: string; int?: number; float?: number }>;
}

/** TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9 (float32 values, little-endian). */
function tensor(name: string, dims: number[], values: ArrayLike<number>): ProtoWriter {
  const data = Float32Array.from(values); // a float64 model's weights are rounded to float32 here
  const raw = new Uint8Array(data.length * 4);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  const writer = new ProtoWriter();
  for (const dim of dims) writer.varint(1, dim);
  return writer.varint(2, TENSOR_FLOAT).bytes(8, name).bytes(9, raw);
}

/** ValueInfoProto (name = 1, type = 2) of a float32 (batch × width) tensor: TypeProto.tensor_type = 1 { elem_type = 1, shape = 2 { dim = 1 } }. */
function valueInfo(name: string, width: number | undefined): ProtoWriter {
  // TensorShapeProto.Dimension: dim_value = 1, or dim_param = 2 for a symbolic size.
  const batch = new ProtoWriter().bytes(2, 'batch');
  const columns = width === undefined ? new ProtoWriter().bytes(2, 'features') : new ProtoWriter().varint(1, width);
  const shape = new ProtoWriter().bytes(1, batch).bytes(1, columns);
  const tensorType = new ProtoWriter().varint(1, TENSOR_FLOAT).bytes(2, shape);
  return new ProtoWriter().bytes(1, name).bytes(2, new ProtoWriter().bytes(1, tensorType));
}

/** NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5 (AttributeProto: name = 1, f = 2, i = 3, type = 20). */
function nodeMessage(node: GraphNode, input: string, output: string, name: string): ProtoWriter {
  const writer = new ProtoWriter();
  for (const value of [input, ...node.weights]) writer.bytes(1, value);
  writer.bytes(2, output).bytes(3, name).bytes(4, node.opType);
  for (const attribute of node.attributes) {
    const proto = new ProtoWriter().bytes(1, attribute.name);
    if (attribute.float !== undefined) proto.float(2, attribute.float).varint(20, ATTRIBUTE.FLOAT);
    else proto.varint(3, attribute.int!).varint(20, ATTRIBUTE.INT);
    writer.bytes(5, proto);
  }
  return writer;
}

/** The node a layer becomes (undefined for one that does nothing at inference), adding any weights to `initializers`. */
function layerNode(layer: Layer, index: number, initializers: ProtoWriter[]): GraphNode | undefined {
  if (layer instanceof Dense) {
    const [weights, biases] = [`layer${index}.weights`, `layer${index}.biases`];
    checkWeightValues('exportONNX', `layers[${index}].weights`, layer.weights.data);
    checkWeightValues('exportONNX', `layers[${index}].biases`, layer.biases.data);
    initializers.push(tensor(weights, [layer.nInputs, layer.nOutputs], layer.weights.data), tensor(biases, [layer.nOutputs], layer.biases.data));
    // Y = alpha · A · B + beta · C with B = weights (nInputs × nOutputs) as stored, so transB = 0; C (nOutputs) broadcasts over the rows.
    return { opType: 'Gemm', weights: [weights, biases], attributes: [{ name: 'alpha', float: 1 }, { name: 'beta', float: 1 }, { name: 'transA', int: 0 }, { name: 'transB', int: 0 }] };
  }
  if (layer instanceof BatchNormalization) {
    // γ, β and the running statistics are ONNX's scale, B, input_mean and input_var, in that order.
    const fields = ['weights', 'biases', 'runningMean', 'runningVariance'] as const;
    const names = fields.map((field) => `layer${index}.${field}`);
    fields.forEach((field, i) => {
      checkWeightValues('exportONNX', `layers[${index}].${field}`, layer[field].data);
      initializers.push(tensor(names[i], [layer.nInputs], layer[field].data));
    });
    // Inference mode: Y = scale · (X − mean) / √(var + epsilon) + B over the columns of (batch × features), as forward(…, { training: false }).
    return { opType: 'BatchNormalization', weights: names, attributes: [{ name: 'epsilon', float: layer.epsilon }] };
  }
  if (layer instanceof ReLU) return { opType: 'Relu', weights: [], attributes: [] };
  if (layer instanceof Sigmoid) return { opType: 'Sigmoid', weights: [], attributes: [] };
  if (layer instanceof Softmax) return { opType: 'Softmax', weights: [], attributes: [{ name: 'axis', int: -1 }] }; // per row, as Softmax.forward
  if (layer instanceof Linear || layer instanceof Dropout) return undefined; // the identity, and dropout is off at inference
  throw new ScratchnetError('exportONNX', `${describeLayer(layer, index)} has no ONNX counterpart here; exportONNX supports Dense, BatchNormalization, ReLU, Sigmoid, Softmax, Linear and Dropout layers`);
}

function checkName(option: string, value: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new ScratchnetError('exportONNX', `${option} must be a non-empty string, not ${JSON.stringify(value)}`);
  return value;
}

/**
 * Writes `model` as an ONNX model (IR version 8, opset 13 by default): Dense becomes Gemm, BatchNormalization
 * BatchNormalization (with its running statistics), ReLU Relu,
 * Sigmoid Sigmoid and Softmax Softmax; Linear and Dropout write nothing. The input is (batch × nInputs)
 * float32 with a symbolic batch size, and every weight is written as float32 (a float64 model's are rounded).
 */
export function exportONNX(model: Sequential, options: ONNXExportOptions = {}): Uint8Array {
  const inputName = checkName('inputName', options.inputName ?? 'input');
  const outputName = checkName('outputName', options.outputName ?? 'output');
  const opset = options.opset ?? ONNX_OPSETS.first;
  if (!Number.isInteger(opset) || opset < ONNX_OPSETS.first || opset > ONNX_OPSETS.last) {
    throw new ScratchnetError('exportONNX', `opset must be a whole number from ${ONNX_OPSETS.first} to ${ONNX_OPSETS.last} (the operator sets of ONNX IR version ${ONNX_IR_VERSION}), not ${String(opset)}`);
  }
  if (inputName === outputName) throw new ScratchnetError('exportONNX', `inputName and outputName must differ, not both ${JSON.stringify(inputName)}`);
  if (model.layers.length === 0) throw new ScratchnetError('exportONNX', 'the model has no layers; add some with model.add(layer)');
  const initializers: ProtoWriter[] = [];
  const nodes = model.layers.flatMap((layer, index) => layerNode(layer, index, initializers) ?? []);
  // A model of only Linear and Dropout layers is the identity.
  if (nodes.length === 0) nodes.push({ opType: 'Identity', weights: [], attributes: [] });
  const sizes = model.layers.map(layerSizes);
  const nInputs = sizes.find((size) => size.nInputs !== undefined)?.nInputs;
  const nOutputs = sizes.findLast((size) => size.nOutputs !== undefined)?.nOutputs;
  // GraphProto: node = 1, name = 2, initializer = 5, input = 11, output = 12. Each node reads the one before it.
  const graph = new ProtoWriter();
  nodes.forEach((node, i) => {
    const output = i === nodes.length - 1 ? outputName : `node${i}.output`;
    graph.bytes(1, nodeMessage(node, i === 0 ? inputName : `node${i - 1}.output`, output, `node${i}_${node.opType}`));
  });
  graph.bytes(2, 'scratchnet');
  for (const initializer of initializers) graph.bytes(5, initializer);
  graph.bytes(11, valueInfo(inputName, nInputs)).bytes(12, valueInfo(outputName, nOutputs ?? nInputs));
  // ModelProto: ir_version = 1, producer_name = 2, producer_version = 3, graph = 7, opset_import = 8 (OperatorSetIdProto: domain = 1, version = 2).
  const modelProto = new ProtoWriter().varint(1, ONNX_IR_VERSION).bytes(2, 'scratchnet');
  if (options.producerVersion !== undefined) modelProto.bytes(3, options.producerVersion);
  return modelProto.bytes(7, graph).bytes(8, new ProtoWriter().varint(2, opset)).finish();
}
