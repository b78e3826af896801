/** A field of a protobuf message, as the wire format lays it out. */
interface WireField {
  field: number;
  wireType: number;
  /** The value of a varint field. */
  value?: number;
}

/** Reads a varint at `offset`; undefined when the bytes end inside it or it runs past 10 bytes. */
function varint(bytes: Uint8Array, offset: number): { value: number; next: number } | undefined {
  let value = 0;
  let scale = 1;
  for (let index = offset; index < bytes.length && index < offset + 10; index += 1) {
    const byte = bytes[index]!;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if (byte < 0x80) return { value, next: index + 1 };
  }
  return undefined;
}

/** The bytes a field's value takes after its tag, or a problem in words. */
function fieldSize(
  bytes: Uint8Array,
  wireType: number,
  at: number,
): { size: number; value?: number } | string {
  if (wireType === 1) return { size: 8 };
  if (wireType === 5) return { size: 4 };
  const read = varint(bytes, at);
  if (!read) return `the file ends inside a field at byte ${at}`;
  if (wireType === 0) return { size: read.next - at, value: read.value };
  return { size: read.next - at + read.value };
}

/** The top-level fields of a protobuf message, or what breaks the wire format, with the byte. */
function wireFields(bytes: Uint8Array): WireField[] | string {
  const fields: WireField[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const tag = varint(bytes, offset);
    if (!tag) return `the file ends inside a field tag at byte ${offset}`;
    const field = Math.floor(tag.value / 8);
    const wireType = tag.value % 8;
    if (field === 0 || ![0, 1, 2, 5].includes(wireType))
      return `byte ${offset} (0x${bytes[offset]!.toString(16).padStart(2, '0')}) does not start a protobuf field`;
    const size = fieldSize(bytes, wireType, tag.next);
    if (typeof size === 'string') return size;
    if (tag.next + size.size > bytes.length)
      return `field ${field} at byte ${offset} runs ${tag.next + size.size - bytes.length} bytes past the end of the file (cut short?)`;
    fields.push({ field, wireType, value: size.value });
    offset = tag.next + size.size;
  }
  return fields;
}

/**
 * Why `bytes` are not an ONNX model, or undefined when they look like one: an ONNX file is a
 * protobuf `ModelProto` whose top level holds `ir_version` (field 1, a varint) and `graph` (field 7).
 * Only the top level is walked (the graph is not decoded): cheap, and enough to refuse a file
 * that is not ONNX, or is cut short, before anything is uploaded.
 */
export function onnxProblem(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0) return 'the file is empty';
  const fields = wireFields(bytes);
  if (typeof fields === 'string') return fields;
  const irVersion = fields.find((field) => field.field === 1 && field.wireType === 0);
  if (!irVersion) return 'no ONNX IR version (field 1) at the top level';
  if (!fields.some((field) => field.field === 7 && field.wireType === 2))
    return 'no ONNX graph (field 7) at the top level';
  return undefined;
}
