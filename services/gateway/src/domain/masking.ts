/**
 * Phone numbers shown to viewers: the network prefix and the last two
 * digits stay (`0917*****12`), enough to tell numbers apart, not to call.
 */
export function maskPhone(phone: string): string {
  if (phone.length <= 6) return '*'.repeat(phone.length);
  return phone.slice(0, 4) + '*'.repeat(phone.length - 6) + phone.slice(-2);
}

/**
 * Masks the PHONE NUMBER field of a legacy line. It is the second-to-last
 * field and the last one (BRANCH) holds no comma, so the two last commas
 * delimit it even when product names contain commas.
 */
export function maskLegacyLine(line: string): string {
  const last = line.lastIndexOf(',');
  const prev = last > 0 ? line.lastIndexOf(',', last - 1) : -1;
  if (prev < 0) return line;
  const phone = line.slice(prev + 1, last);
  return phone === '' ? line : line.slice(0, prev + 1) + maskPhone(phone) + line.slice(last);
}
