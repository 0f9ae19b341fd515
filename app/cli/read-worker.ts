// The read thread (node:worker_threads): runs the share of `synscope read` its workerData names
// (read-share.ts) and posts its lines to the main thread (read-parallel.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { runShare, type ShareJob } from './read-share.js';

// A failure rejects: unhandled, it ends the thread with an 'error' event the main thread reports.
if (parentPort) void runShare(workerData as ShareJob, parentPort);
