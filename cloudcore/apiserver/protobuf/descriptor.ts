/**
 * Message descriptors: the subset of Kubernetes' generated.proto files (k8s.io/api and
 * k8s.io/apimachinery) that this server decodes, written as data. Field numbers are the real ones
 * from those files; `json` is the field's JSON name in the API.
 *
 * Kubernetes' protobuf is proto2 written by gogo-protobuf, which always writes a Go value field
 * (even "" or 0) and writes a Go pointer field only when it is set. So, to get what a JSON body
 * would carry, a zero value is dropped unless the field is a pointer (`pointer: true`), where an
 * explicit 0 or false means something (replicas: 0, gracePeriodSeconds: 0).
 */
export type ScalarType = 'string' | 'bytes' | 'int32' | 'int64' | 'bool';

export interface FieldSpec {
  /** The field's name in the JSON form of the API. */
  json: string;
  /** A scalar, or a nested message (for a map: the value's type). */
  type: ScalarType | MessageType;
  /** `repeated`: a JSON array; `map`: repeated key/value entries, a JSON object. */
  shape: 'single' | 'repeated' | 'map';
  /** A Go pointer: keep a zero value, since its presence is meaningful. */
  pointer: boolean;
}

export interface MessageType {
  /** The fully qualified protobuf name, for error messages. */
  name: string;
  fields: Readonly<Record<number, FieldSpec>>;
  /**
   * For types with their own JSON form (Time, IntOrString, Quantity): turns the decoded fields into
   * that JSON value; undefined leaves the field out.
   */
  toJson?: (decoded: Record<string, unknown>) => unknown;
}

interface FieldOptions {
  pointer?: boolean;
}

function field(json: string, type: ScalarType | MessageType, shape: FieldSpec['shape'], options: FieldOptions = {}): FieldSpec {
  return { json, type, shape, pointer: options.pointer ?? false };
}

export const stringField = (json: string, options?: FieldOptions) => field(json, 'string', 'single', options);
export const int32Field = (json: string, options?: FieldOptions) => field(json, 'int32', 'single', options);
export const int64Field = (json: string, options?: FieldOptions) => field(json, 'int64', 'single', options);
export const boolField = (json: string, options?: FieldOptions) => field(json, 'bool', 'single', options);
export const messageField = (json: string, type: MessageType) => field(json, type, 'single');
export const repeatedStrings = (json: string) => field(json, 'string', 'repeated');
export const repeatedMessages = (json: string, type: MessageType) => field(json, type, 'repeated');
export const stringMap = (json: string) => field(json, 'string', 'map');
/** map<string, bytes>: values become base64 strings, as Go's encoding/json writes []byte. */
export const bytesMap = (json: string) => field(json, 'bytes', 'map');
export const messageMap = (json: string, type: MessageType) => field(json, type, 'map');

export function message(name: string, fields: Record<number, FieldSpec>, toJson?: MessageType['toJson']): MessageType {
  return toJson === undefined ? { name, fields } : { name, fields, toJson };
}
