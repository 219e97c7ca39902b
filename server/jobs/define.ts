import type { Job, JobSchedulerTemplateOptions, JobsOptions, RepeatOptions, WorkerOptions } from "bullmq";
import type { z } from "zod";
import type { JobHostEnv } from "./env";
import { getQueue } from "@/server/queues/connection";

/*
 * One definition per job, next to its feature (server/<feature>/jobs.ts): the queue, the payload contract,
 * the job-id scheme, default options, the handler and any schedule. Producers call enqueue(job, payload);
 * the worker host (workers/) starts the definitions of its kinds with startJobs (server/jobs/worker.ts);
 * metrics list the queues of server/jobs/registry.ts. Nobody else builds a job id or job options.
 */

/** The process running the jobs: its settings, its clock, and resources that live as long as it does. */
export type { JobHostEnv };

export interface JobHost {
  env: JobHostEnv;
  now(): Date;
  /** A per-process resource (a pool, a batcher) made on first use and closed after the workers drained. */
  resource<T>(key: string, make: () => T, close?: (value: T) => Promise<void> | void): T;
}

/** A repeatable job installed (and kept installed) while a host runs the definition. */
interface JobSchedule<P> {
  id: string;
  repeat: Omit<RepeatOptions, "key">;
  /** BullMQ job name of the scheduled jobs (defaults to the definition's name). */
  name?: string;
  data: P;
  options?: JobSchedulerTemplateOptions;
}

export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  queue: string;
  /** BullMQ job name (a label in dashboards and logs). */
  name: string;
  schema: S;
  /** Deterministic id: the same unit of work always maps to the same job, so reruns and retries collapse. */
  jobId(payload: z.output<S>): string;
  options: JobsOptions;
  /** Worker options for this queue in a given process (concurrency, limiter, lock). */
  worker?: (host: JobHost) => Partial<WorkerOptions>;
  handler(payload: z.output<S>, job: Job, host: JobHost): Promise<unknown>;
  schedule?: (host: JobHost) => readonly JobSchedule<z.input<S>>[];
  /** Runs once when a host starts the job (startup warnings, eager resources). */
  onStart?(host: JobHost): void | Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a registry holds definitions of every payload type
export type AnyJob = JobDefinition<any>;

/** Default job options; a definition starts from these and overrides what its queue needs. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: "exponential", delay: 2_000 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export function defineJob<S extends z.ZodType>(def: JobDefinition<S>): JobDefinition<S> {
  return def;
}

/** Per-enqueue options a producer may set; the id and the defaults always come from the definition. */
export interface EnqueueOptions {
  delay?: number;
  priority?: number;
}

function jobsOptions<S extends z.ZodType>(job: JobDefinition<S>, payload: z.output<S>, o: EnqueueOptions): JobsOptions {
  return {
    ...job.options,
    jobId: job.jobId(payload),
    ...(o.delay !== undefined ? { delay: Math.max(0, o.delay) } : {}),
    ...(o.priority ? { priority: o.priority } : {}),
  };
}

/** Adds one job (validated against the definition's schema); an id already present is a no-op. Returns the id. */
export async function enqueue<S extends z.ZodType>(
  job: JobDefinition<S>,
  payload: z.input<S>,
  opts: EnqueueOptions = {},
): Promise<string> {
  const data = job.schema.parse(payload) as z.output<S>;
  const options = jobsOptions(job, data, opts);
  await getQueue(job.queue).add(job.name, data, options);
  return options.jobId!;
}

/** addBulk of many jobs of one definition; returns their ids in order. */
export async function enqueueMany<S extends z.ZodType>(
  job: JobDefinition<S>,
  items: readonly ({ payload: z.input<S> } & EnqueueOptions)[],
): Promise<string[]> {
  if (items.length === 0) return [];
  const bulk = items.map((it) => {
    const data = job.schema.parse(it.payload) as z.output<S>;
    return { name: job.name, data, opts: jobsOptions(job, data, it) };
  });
  await getQueue(job.queue).addBulk(bulk);
  return bulk.map((b) => b.opts.jobId!);
}
