import { Spinner } from '../components/Spinner';
import { SessionProvider, useSession } from '../features/session/session';
import { SignInScreen } from '../features/session/SignInScreen';
import { Shell } from './Shell';

function Gate() {
  const { state } = useSession();
  if (state.status === 'loading') {
    return (
      <div className="flex h-screen items-center justify-center bg-canvas">
        <Spinner size={20} label="Starting Marketdesk" />
      </div>
    );
  }
  if (state.status === 'signed-out') return <SignInScreen />;
  // A new person gets a fresh shell (screens keep no state across sign-ins).
  return <Shell key={state.me.id} me={state.me} />;
}

/** The whole app: the sign-in screen, or the signed-in shell. */
export function App() {
  return (
    <SessionProvider>
      <Gate />
    </SessionProvider>
  );
}
