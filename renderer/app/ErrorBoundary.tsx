// A screen that throws while drawing shows a calm message instead of a blank window; the run is
// in the journal whatever the page does.
import { Component, type ReactNode } from 'react';
import { t } from '../i18n/t';

export class ErrorBoundary extends Component<{ readonly children: ReactNode; readonly resetKey: string }, { readonly failed: boolean; readonly key: string }> {
  override state = { failed: false, key: this.props.resetKey };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  static getDerivedStateFromProps(props: { resetKey: string }, state: { failed: boolean; key: string }): { failed: boolean; key: string } | null {
    // Moving to another screen clears the failure.
    return props.resetKey === state.key ? null : { failed: false, key: props.resetKey };
  }

  override render(): ReactNode {
    if (this.state.failed) {
      return (
        <div role="alert" className="notice fail">
          {t('error.boundary')}
        </div>
      );
    }
    return this.props.children;
  }
}
