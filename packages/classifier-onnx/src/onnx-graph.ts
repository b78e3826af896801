/**
 * Just enough of the ONNX protobuf format to read a model's classifier nodes (their class labels,
 * ZipMap's input) and to add graph outputs, without a protobuf library.
 * Field numbers from onnx.proto: ModelProto.graph = 7; GraphProto.node = 1, output = 12;
 * NodeProto.input = 1, output = 2, op_type = 4, attribute = 5; AttributeProto.name = 1,
 * ints = 8, strings = 9; ValueInfoProto.name = 1, type = 2; TypeProto.tensor_type = 1;
 * TypeProto.Tensor.elem_type = 1 (1 = FLOAT).
 */

interface Field {
  number: number;
  wireType: number;
  /** Varint value (wire type 0). */
  value: bigint;
  /** Bytes of a length-delimited field (wire type 2). */
  bytes: Uint8Array;
  /** Where the whole field (tag included) starts and ends in its message. */
  start: number;
  end: number;
}

function readVarint(buffer: Uint8Array, offset: number): { value: bigint; next: number } {
  let value = 0n;
  let shift = 0n;
  let position = offset;
  for (;;) {
    if (position >= buffer.length) throw new Error('truncated protobuf varint');
    const byte = buffer[position]!;
    position += 1;
    value |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return { value, next: position };
    shift += 7n;
    if (shift > 70n) throw new Error('malformed protobuf varint');
  }
}

function* fields(buffer: Uint8Array): Generator<Field> {
  let offset = 0;
  while (offset < buffer.length) {
    const start = offset;
    const tag = readVarint(buffer, offset);
    offset = tag.next;
    const number = Number(tag.value >> 3n);
    const wireType = Number(tag.value & 7n);
    // No message has a field 0: a file of zeros took seconds a megabyte, read as two-byte fields.
    if (number === 0) throw new Error(`field number 0 at byte ${start}: not a protobuf message`);
    let value = 0n;
    let bytes: Uint8Array = new Uint8Array(0);
    if (wireType === 0) {
      const read = readVarint(buffer, offset);
      value = read.value;
      offset = read.next;
    } else if (wireType === 1) offset += 8;
    else if (wireType === 5) offset += 4;
    else if (wireType === 2) {
      const length = readVarint(buffer, offset);
      offset = length.next;
      const end = offset + Number(length.value);
      if (end > buffer.length) throw new Error('truncated protobuf field');
      bytes = buffer.subarray(offset, end);
      offset = end;
    } else throw new Error(`unsupported protobuf wire type ${wireType}`);
    if (offset > buffer.length) throw new Error('truncated protobuf field');
    yield { number, wireType, value, bytes, start, end: offset };
  }
}

const decoder = new TextDecoder();

/** A node of the graph, with the attributes Plexus reads. */
export interface GraphNode {
  opType: string;
  inputs: string[];
  outputs: string[];
  /** `classlabels_strings` or `classlabels_int64s`, when the node has them. */
  classLabels?: string[];
}

function readNode(bytes: Uint8Array): GraphNode {
  const node: GraphNode = { opType: '', inputs: [], outputs: [] };
  for (const field of fields(bytes)) {
    if (field.number === 1) node.inputs.push(decoder.decode(field.bytes));
    else if (field.number === 2) node.outputs.push(decoder.decode(field.bytes));
    else if (field.number === 4) node.opType = decoder.decode(field.bytes);
    else if (field.number === 5) {
      let name = '';
      const strings: string[] = [];
      const ints: string[] = [];
      for (const attribute of fields(field.bytes)) {
        if (attribute.number === 1) name = decoder.decode(attribute.bytes);
        else if (attribute.number === 9) strings.push(decoder.decode(attribute.bytes));
        else if (attribute.number === 8 && attribute.wireType === 0)
          ints.push(BigInt.asIntN(64, attribute.value).toString());
        else if (attribute.number === 8 && attribute.wireType === 2) {
          let offset = 0;
          while (offset < attribute.bytes.length) {
            const read = readVarint(attribute.bytes, offset);
            ints.push(BigInt.asIntN(64, read.value).toString());
            offset = read.next;
          }
        }
      }
      if (name === 'classlabels_strings' || name === 'classlabels_int64s')
        node.classLabels = name === 'classlabels_strings' ? strings : ints;
    }
  }
  return node;
}

/** A model's fields before its graph are a dozen or so; a file of millions is no model. */
const fieldsBeforeGraph = 10_000;

function graphField(model: Uint8Array): Field {
  let count = 0;
  for (const field of fields(model)) {
    if (field.number === 7 && field.wireType === 2) return field;
    count += 1;
    if (count === fieldsBeforeGraph)
      throw new Error(
        `no graph in the ONNX model among its first ${fieldsBeforeGraph.toLocaleString('en-US')} fields`,
      );
  }
  throw new Error('no graph in the ONNX model');
}

/** The nodes of a model's main graph, in order. */
export function graphNodes(model: Uint8Array): GraphNode[] {
  const nodes: GraphNode[] = [];
  for (const field of fields(graphField(model).bytes))
    if (field.number === 1 && field.wireType === 2) nodes.push(readNode(field.bytes));
  return nodes;
}

function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return bytes;
}

function lengthDelimited(number: number, payload: Uint8Array | number[]): number[] {
  return [...varint((number << 3) | 2), ...varint(payload.length), ...payload];
}

/**
 * The model with some graph outputs removed and float tensor outputs added: ZipMap's
 * sequence-of-maps output (which onnxruntime-node cannot return) becomes its input tensor.
 */
export function replaceOutputs(
  model: Uint8Array,
  change: { remove: readonly string[]; addFloat: readonly string[] },
): Uint8Array {
  const graph = graphField(model);
  const kept: number[] = [];
  for (const field of fields(graph.bytes)) {
    if (field.number === 12 && field.wireType === 2) {
      const name = [...fields(field.bytes)].find((part) => part.number === 1);
      if (name && change.remove.includes(decoder.decode(name.bytes))) continue;
    }
    for (let index = field.start; index < field.end; index += 1) kept.push(graph.bytes[index]!);
  }
  for (const name of change.addFloat) {
    const tensorType = lengthDelimited(1, [0x08, 0x01]);
    const valueInfo = [
      ...lengthDelimited(1, new TextEncoder().encode(name)),
      ...lengthDelimited(2, tensorType),
    ];
    kept.push(...lengthDelimited(12, valueInfo));
  }
  const header = [...varint((7 << 3) | 2), ...varint(kept.length)];
  const tail = model.subarray(graph.end);
  const result = new Uint8Array(graph.start + header.length + kept.length + tail.length);
  result.set(model.subarray(0, graph.start));
  result.set(header, graph.start);
  result.set(kept, graph.start + header.length);
  result.set(tail, graph.start + header.length + kept.length);
  return result;
}
