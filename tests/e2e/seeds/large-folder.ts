import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const demoSeed = resolve(__dirname, '../../../api-mock/seed/demo.json');

/**
 * Writes a seed file (API.md "Seed file") holding the demo network plus `count` open requests
 * received by Camelia Surgery and assigned by James Wilson to its Reception group, one minute
 * apart, so that one folder holds thousands of requests (issue 6, item 7). The directory is left
 * small so the server starts quickly. Returns the path written.
 */
export function writeLargeFolderSeed(path: string, count = 5000): string {
  const seed = JSON.parse(readFileSync(demoSeed, 'utf8'));
  const patients: string[] = seed.patients.map((p: { id: string }) => p.id);
  const subjects = ['Repeat prescription', 'Sick note', 'Test results', 'Appointment request', 'Medication review'];
  const start = Date.parse('2026-10-01T08:00:00Z');
  for (let i = 0; i < count; i++) {
    seed.requests.push({
      id: `r-load-${String(i).padStart(5, '0')}`,
      ods_code: 'A81001',
      patient_id: patients[i % patients.length],
      kind: i % 3 === 0 ? 'medical' : 'admin',
      subject: `${subjects[i % subjects.length]} ${i}`,
      message: `Generated request number ${i} for the large-folder test.`,
      received_at: new Date(start + i * 60_000).toISOString().replace('.000Z', 'Z'),
      assignments: [{ by_user_id: 'u-james-wilson', target_id: 'g-cam-reception' }],
    });
  }
  seed.directory = { generate: 100 };
  writeFileSync(path, JSON.stringify(seed));
  return path;
}
