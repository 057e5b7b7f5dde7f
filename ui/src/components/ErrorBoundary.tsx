import { Component, type ErrorInfo, type ReactNode } from 'react';
import { errorMessage } from '../lib/errors';
import { ErrorState } from './ErrorState';

type Props = { children: ReactNode };
type State = { error: unknown };

/**
 * Keeps a failing screen from taking the whole window down: shows what broke with a
 * Retry that renders the screen again. Key it by the route so navigating resets it.
 */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error('screen failed', error, info.componentStack);
  }

  override render() {
    if (this.state.error !== null) {
      return (
        <ErrorState
          title="This screen failed"
          message={errorMessage(this.state.error)}
          onRetry={() => this.setState({ error: null })}
        />
      );
    }
    return this.props.children;
  }
}
