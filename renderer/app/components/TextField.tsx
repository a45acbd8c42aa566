import type { InputHTMLAttributes, Ref } from 'react';
import { FieldFrame } from './FieldFrame.js';

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'aria-invalid' | 'aria-describedby'> {
  label: string;
  error?: string | null | undefined;
  hint?: string | undefined;
  ref?: Ref<HTMLInputElement>;
}

/** A labelled input; its error is announced with the field and drawn next to it. */
export function TextField({ label, error, hint, ref, className, ...input }: TextFieldProps) {
  return (
    <FieldFrame label={label} error={error} hint={hint}>
      {(control) => <input {...input} {...control} ref={ref} className={`field__input${className ? ` ${className}` : ''}`} />}
    </FieldFrame>
  );
}
