// The SSH test lab: real OpenSSH sshd hosts for tests and benchmarks (see lab.ts).
export { startTestLab } from './lab';
export { EXAMPLE_LAB, FIXED_HOST_BYTES, FIXED_KEY_HOSTS } from './exampleLab';
export { fingerprintOf, KEYS_DIR } from './hostKeys';
export type { LatencyProxy, StartTestLabOptions, TestFaults, TestHost, TestHostKey, TestHostSpec, TestLab, TestUser } from './types';
