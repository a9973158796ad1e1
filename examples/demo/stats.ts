/** What the demo counts as it runs, for the reporter's summary line. */
export interface DemoStats {
  /** Chats between councillors (casts and calls), all told. */
  chats: number;
  /** Children the supervisors restarted (from their `child_terminated` reports). */
  restarts: number;
  /** Jobs that ran to the end under the job supervisor. */
  jobsDone: number;
}

export const stats: DemoStats = { chats: 0, restarts: 0, jobsDone: 0 };
