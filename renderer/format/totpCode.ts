/** People type "123 456" as their app shows it; the hub wants "123456". */
export function normaliseTotpCode(input: string): string {
  return input.replace(/[\s-]/g, '');
}

/** A Base32 secret in groups of 4 for reading aloud or typing by hand: "JBSW Y3DP EHPK 3PXP". */
export function groupSecret(secret: string, size = 4): string[] {
  const groups: string[] = [];
  for (let i = 0; i < secret.length; i += size) groups.push(secret.slice(i, i + size));
  return groups;
}
