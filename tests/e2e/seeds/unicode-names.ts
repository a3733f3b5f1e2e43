import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const demoSeed = resolve(__dirname, '../../../api-mock/seed/demo.json');

/** An organisation whose name joins two words with a hyphen, for the search highlighting. */
export const hyphenated = { ods_code: 'A81077', name: 'Hartley-Smith Surgery' };
/** A Camelia Surgery group whose name is not ASCII, for the assign dialog's filter. */
export const accented = { id: 'g-cam-zoe', name: 'ZOË Wellbeing Team' };

/**
 * Writes a seed file (API.md "Seed file"): the demo network plus the two names above, with a
 * small generated directory so the server starts quickly. Returns the path written.
 */
export function writeUnicodeNamesSeed(path: string): string {
  const seed = JSON.parse(readFileSync(demoSeed, 'utf8'));
  seed.organisations.push({ ...hyphenated, kind: 'gp_practice', postcode: 'TS18 2AA', active: true });
  seed.groups.push({ ...accented, ods_code: 'A81001' });
  seed.directory = { generate: 100 };
  writeFileSync(path, JSON.stringify(seed));
  return path;
}
