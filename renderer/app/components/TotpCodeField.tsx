import type { ComponentProps } from 'react';
import { TextField } from './TextField.js';

type TotpCodeFieldProps = Omit<ComponentProps<typeof TextField>, 'name' | 'inputMode' | 'autoComplete' | 'pattern' | 'maxLength'>;

/** The 6-digit authenticator code input: numeric keypad on phones, one-time-code autofill, room for "123 456". */
export function TotpCodeField({ className, ...props }: TotpCodeFieldProps) {
  return <TextField {...props} name="code" className={`field__input--code${className ? ` ${className}` : ''}`} inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]*" maxLength={7} />;
}
