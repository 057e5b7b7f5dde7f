import { useState } from 'react';
import { Button, type ButtonProps } from './Button';
import { CheckIcon } from './icons';

type CopyState = 'idle' | 'copied' | 'failed';

/** Copies `text` to the clipboard, then says whether it worked. */
export function CopyButton({
  text,
  label = 'Copy',
  ...props
}: { text: string; label?: string } & Omit<ButtonProps, 'onClick' | 'children'>) {
  const [state, setState] = useState<CopyState>('idle');
  const copy = () => {
    // The clipboard is missing outside a secure context: say so rather than fail silently.
    const clipboard = navigator.clipboard as Clipboard | undefined;
    if (!clipboard) {
      setState('failed');
      return;
    }
    clipboard.writeText(text).then(
      () => setState('copied'),
      () => setState('failed'),
    );
  };
  return (
    <>
      <Button {...props} icon={state === 'copied' ? <CheckIcon /> : props.icon} onClick={copy}>
        {state === 'copied' ? 'Copied' : label}
      </Button>
      {state === 'failed' && (
        <span role="alert" className="text-sm text-danger-text">
          Could not copy: select the text and copy it yourself.
        </span>
      )}
    </>
  );
}
