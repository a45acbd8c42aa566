import { useId, type Ref, type SelectHTMLAttributes } from 'react';

interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'aria-invalid' | 'aria-describedby'> {
  label: string;
  error?: string | null | undefined;
  hint?: string | undefined;
  ref?: Ref<HTMLSelectElement>;
}

/** TextField's choice-list sibling: same label, hint and error wiring. */
export function SelectField({ label, error, hint, ref, className, children, ...select }: SelectFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {hint && (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      )}
      <select
        {...select}
        ref={ref}
        id={id}
        className={`field__input${className ? ` ${className}` : ''}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
      >
        {children}
      </select>
      {error && (
        <p className="field__error" id={errorId}>
          <span className="field__error-mark" aria-hidden="true">
            !
          </span>
          {error}
        </p>
      )}
    </div>
  );
}
