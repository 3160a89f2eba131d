export { MASK, SecretMasker } from './secretMasker';
export { base64Forms, maskingPatterns, secretForms } from './secretForms';
export { OutputMasker, type MaskedChunk } from './outputMasker';
