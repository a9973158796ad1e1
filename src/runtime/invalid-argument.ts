/** Describes a value for an argument error, short and safe: `` `-1` (number) ``, `` `[3 elements]` (array) ``. */
export function describeArgument(value: unknown): string {
  let shown: string;
  try {
    if (typeof value === 'function') shown = `[function ${value.name || 'anonymous'}]`;
    else if (typeof value === 'bigint') shown = `${value}n`;
    else if (Array.isArray(value)) shown = `[${value.length} elements]`;
    else shown = String(value);
  } catch {
    shown = Object.prototype.toString.call(value);
  }
  if (shown.length > 60) shown = `${shown.slice(0, 60)}…`;
  return `\`${shown}\` (${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value})`;
}

/**
 * The one shape of every argument error in Beamish, for layers built on the runtime too:
 * ``Expected `timeout` to be a whole number from 0 up, got `-1` (number)``.
 */
export function invalidArgument(name: string, expectation: string, value: unknown): TypeError {
  return new TypeError(`Expected \`${name}\` to be ${expectation}, got ${describeArgument(value)}`);
}
