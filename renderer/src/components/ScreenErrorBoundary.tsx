import { Component } from 'react';
import type { ReactNode } from 'react';
import { StatusScreen } from './StatusScreen.tsx';

interface State {
  failed: boolean;
}

/**
 * If a screen ever fails to render, show the neutral out-of-service screen rather than a blank page;
 * the next snapshot (a new `resetKey`) tries again.
 */
export class ScreenErrorBoundary extends Component<{ resetKey: string; children: ReactNode }, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidUpdate(previous: { resetKey: string }) {
    if (this.state.failed && previous.resetKey !== this.props.resetKey) this.setState({ failed: false });
  }

  override render() {
    return this.state.failed ? <StatusScreen kind="disconnected" /> : this.props.children;
  }
}
