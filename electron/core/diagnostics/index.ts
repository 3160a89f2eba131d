// Diagnostics for support: what the app and its store look like, never what the site's plans hold.
export { collectDiagnostics, type Diagnostics, type DiagnosticsSources } from './collectDiagnostics';
export { writeDiagnostics, renderDiagnostics, diagnosticsDir } from './writeDiagnostics';
export { RecentFailures, noteFailures, RECENT_FAILURES_KEPT, type RecordedFailure } from './recentFailures';
