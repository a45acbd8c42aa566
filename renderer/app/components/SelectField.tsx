import type { Ref, SelectHTMLAttributes } from 'react';
import { FieldFrame } from './FieldFrame.js';

interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'aria-invalid' | 'aria-describedby'> {
  label: string;
  error?: string | null | undefined;
  hint?: string | undefined;
  ref?: Ref<HTMLSelectElement>;
}

/** TextField's choice-list sibling. */
export function SelectField({ label, error, hint, ref, className, children, ...select }: SelectFieldProps) {
  return (
    <FieldFrame label={label} error={error} hint={hint}>
      {(control) => (
        <select {...select} {...control} ref={ref} className={`field__input${className ? ` ${className}` : ''}`}>
          {children}
        </select>
      )}
    </FieldFrame>
  );
}
