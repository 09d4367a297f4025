import { AirlockError, maxOf, type Rng } from '@airlock/core';

/**
 * The networks here are stacks of dense layers: hidden layers with ReLU, then the output layer (one
 * unit, or one per class for a multiclass classifier). This file
 * holds what does not need TensorFlow.js: the architecture spec, weight initialization, weight
 * (de)serialization and a plain Float32Array forward pass used to serve predictions.
 */

/**
 * Activation of a dense layer. The output layer is `sigmoid` (binary classifiers), `softmax`
 * (multiclass classifiers: one unit per class, over which it is taken) or `linear` (regressors).
 */
export type Activation = 'relu' | 'sigmoid' | 'softmax' | 'linear';

/** The layers of a network, input to output; layer i has a kernel [in, units] and a bias [units]. */
export interface Architecture {
  readonly inputSize: number;
  readonly layers: ReadonlyArray<{ readonly units: number; readonly activation: Activation }>;
}

/**
 * One weight tensor as stored in a model: float32 values, little-endian, base64. Kernels are
 * row-major [in, out], as TensorFlow.js lays them out.
 */
export interface SerializedTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: 'float32';
  readonly base64: string;
}

/** Weights in memory: per layer a kernel (row-major [in, out]) and a bias. */
export interface DenseWeights {
  readonly kernel: Float32Array;
  readonly bias: Float32Array;
}

/** The architecture of a model kind: hidden ReLU layers (MLP kinds only), then `outputs` output units (default 1). */
export function architectureFor(inputSize: number, hiddenUnits: readonly number[], output: 'sigmoid' | 'softmax' | 'linear', outputs = 1): Architecture {
  return {
    inputSize,
    layers: [...hiddenUnits.map((units) => ({ units, activation: 'relu' as const })), { units: outputs, activation: output }],
  };
}

/**
 * Glorot-uniform kernels (limit √(6 / (fan_in + fan_out)), the Keras default) and zero biases,
 * drawn from the caller's seeded generator so that initialization does not depend on the backend.
 */
export function initialWeights(architecture: Architecture, rng: Rng): DenseWeights[] {
  let fanIn = architecture.inputSize;
  return architecture.layers.map((layer) => {
    const limit = Math.sqrt(6 / (fanIn + layer.units));
    const kernel = new Float32Array(fanIn * layer.units);
    for (let i = 0; i < kernel.length; i++) kernel[i] = (rng.next() * 2 - 1) * limit;
    fanIn = layer.units;
    return { kernel, bias: new Float32Array(layer.units) };
  });
}

/** Weights to their stored form, `dense_<i>/kernel` and `dense_<i>/bias`. */
export function serializeWeights(architecture: Architecture, weights: readonly DenseWeights[]): SerializedTensor[] {
  let fanIn = architecture.inputSize;
  return architecture.layers.flatMap((layer, i) => {
    const w = weights[i]!;
    const out: SerializedTensor[] = [
      { name: `dense_${i}/kernel`, shape: [fanIn, layer.units], dtype: 'float32', base64: toBase64(w.kernel) },
      { name: `dense_${i}/bias`, shape: [layer.units], dtype: 'float32', base64: toBase64(w.bias) },
    ];
    fanIn = layer.units;
    return out;
  });
}

/** Stored weights back to arrays, checking every shape against the architecture. */
export function deserializeWeights(architecture: Architecture, tensors: readonly SerializedTensor[]): DenseWeights[] {
  if (!Array.isArray(tensors) || tensors.length !== architecture.layers.length * 2) {
    throw new AirlockError('BAD_REQUEST', `model has ${Array.isArray(tensors) ? tensors.length : 0} weight tensors; its architecture needs ${architecture.layers.length * 2}`);
  }
  let fanIn = architecture.inputSize;
  return architecture.layers.map((layer, i) => {
    const kernel = fromBase64(tensors[2 * i]!, fanIn * layer.units);
    const bias = fromBase64(tensors[2 * i + 1]!, layer.units);
    fanIn = layer.units;
    return { kernel, bias };
  });
}

/**
 * Forward pass in plain JavaScript over a row-major matrix of `rows` inputs; returns each row's
 * outputs after the final activation, row-major (`rows × output units`: one value per row for a
 * one-unit output). Sums run in float64 and skip zero inputs, which are most of a one-hot encoded
 * row, so a single row costs microseconds (no tensor allocation, no backend).
 */
export function forward(architecture: Architecture, weights: readonly DenseWeights[], matrix: Float32Array, rows: number): Float64Array {
  const outputs = architecture.layers.at(-1)!.units;
  const out = new Float64Array(rows * outputs);
  const widest = Math.max(architecture.inputSize, maxOf(architecture.layers.map((l) => l.units)));
  let input = new Float64Array(widest);
  let next = new Float64Array(widest);
  for (let r = 0; r < rows; r++) {
    let size = architecture.inputSize;
    const base = r * size;
    for (let i = 0; i < size; i++) input[i] = matrix[base + i]!;
    for (let l = 0; l < architecture.layers.length; l++) {
      const { units, activation } = architecture.layers[l]!;
      const { kernel, bias } = weights[l]!;
      for (let j = 0; j < units; j++) next[j] = bias[j]!;
      for (let i = 0; i < size; i++) {
        const x = input[i]!;
        if (x === 0) continue;
        const rowStart = i * units;
        for (let j = 0; j < units; j++) next[j]! += x * kernel[rowStart + j]!;
      }
      if (activation === 'softmax') softmaxInPlace(next, units);
      else for (let j = 0; j < units; j++) next[j] = activate(activation, next[j]!);
      [input, next] = [next, input];
      size = units;
    }
    for (let j = 0; j < outputs; j++) out[r * outputs + j] = input[j]!;
  }
  return out;
}

function activate(activation: Exclude<Activation, 'softmax'>, z: number): number {
  switch (activation) {
    case 'relu':
      return z > 0 ? z : 0;
    case 'sigmoid':
      return 1 / (1 + Math.exp(-z));
    case 'linear':
      return z;
  }
}

/** Softmax over the first `units` values, shifted by their maximum so that no exponential overflows. */
function softmaxInPlace(values: Float64Array, units: number): void {
  let max = -Infinity;
  for (let j = 0; j < units; j++) if (values[j]! > max) max = values[j]!;
  let sum = 0;
  for (let j = 0; j < units; j++) {
    values[j] = Math.exp(values[j]! - max);
    sum += values[j]!;
  }
  for (let j = 0; j < units; j++) values[j]! /= sum;
}

// Explicit little-endian so a model written on one machine reads the same on any other.
function toBase64(values: Float32Array): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return Buffer.from(bytes).toString('base64');
}

function fromBase64(tensor: SerializedTensor, expected: number): Float32Array {
  const bytes = typeof tensor?.base64 === 'string' ? Buffer.from(tensor.base64, 'base64') : Buffer.alloc(0);
  if (bytes.length !== expected * 4) {
    throw new AirlockError('BAD_REQUEST', `weight tensor "${String(tensor?.name)}" holds ${bytes.length / 4} values; the architecture needs ${expected}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values = new Float32Array(expected);
  for (let i = 0; i < expected; i++) values[i] = view.getFloat32(i * 4, true);
  return values;
}
