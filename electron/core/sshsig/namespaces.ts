// SSH signature namespaces (PROTOCOL.sshsig): a signature made for one can never pass for the
// other, so a signed report cannot be replayed as a signed plan, nor the reverse.
export const REPORT_NAMESPACE = 'fieldrun-report';
export const PLAN_NAMESPACE = 'fieldrun-plan';
