// Worker-thread side of the probe pool: parsing tags is CPU work; two threads use both cores
// while the main thread stays free to write the database and answer HTTP.
import { parentPort, workerData } from 'node:worker_threads';
import { createProber, type LibraryProbeJob, type ProbeContext } from './probe.js';

const probe = createProber(workerData as ProbeContext);

parentPort!.on('message', (msg: { id: number; job: LibraryProbeJob }) => {
  void probe(msg.job).then((result) => parentPort!.postMessage({ id: msg.id, result }));
});
