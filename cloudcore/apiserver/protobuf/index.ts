/**
 * Request bodies in Kubernetes' protobuf encoding (application/vnd.kubernetes.protobuf), turned
 * into the JSON object form the rest of the API server works on.
 */
export { decodeProtobufBody, PROTOBUF_MEDIA_TYPE } from './decode-body.js';
export type { DecodeFailureCode, DecodeResult } from './decode-message.js';
