import type { Ref, TextareaHTMLAttributes } from 'react';
import { FieldFrame } from './FieldFrame.js';

interface TextAreaFieldProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'aria-invalid' | 'aria-describedby'> {
  label: string;
  error?: string | null | undefined;
  hint?: string | undefined;
  ref?: Ref<HTMLTextAreaElement>;
}

/** TextField's multi-line sibling. */
export function TextAreaField({ label, error, hint, ref, className, ...textarea }: TextAreaFieldProps) {
  return (
    <FieldFrame label={label} error={error} hint={hint}>
      {(control) => <textarea {...textarea} {...control} ref={ref} className={`field__input field__input--multiline${className ? ` ${className}` : ''}`} />}
    </FieldFrame>
  );
}
