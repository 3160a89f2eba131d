// The signed completion report bundle: writing it (files, manifest, SSH signature, archive) and
// verifying one, as `fieldrun report verify` and head office do.
export {
  ATTACHMENTS_DIR,
  BUNDLE_FORMAT,
  JOURNAL_FILE,
  JUNIT_FILE,
  MANIFEST_FILE,
  ManifestSchema,
  OUTPUTS_DIR,
  REPORT_HTML_FILE,
  REPORT_JSON_FILE,
  SIGNATURE_FILE,
  type BundleManifest,
  type ManifestFile,
  type ManifestOutput,
} from './bundleManifest';
export { outputReferencesIn, type OutputReference } from './outputReferences';
export { storeOutputSource, type BundleOutputSource } from './outputSource';
export { bundleFolderName, writeBundle, type BundleAttachment, type WriteBundleInput, type WrittenBundle } from './writeBundle';
export { exportStoredRun, type ExportStoredRunInput } from './exportStoredRun';
export { verifyBundle, type BundleSigner, type BundleVerdict, type VerifyBundleOptions } from './verifyBundle';
