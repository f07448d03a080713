//! The single writer, with group commit.
//!
//! SQLite allows one writer at a time, so every write goes to one thread
//! that owns the write connection. That thread takes whatever writes are
//! queued (up to [`MAX_BATCH`]), runs each in its own SAVEPOINT inside one
//! `BEGIN IMMEDIATE` transaction, commits once, and only then answers each
//! caller. A write that fails is rolled back to its savepoint alone; a
//! commit that fails fails every write in the batch. So each write is still
//! atomic and isolated (writes run one after another and each sees the ones
//! before it), while the `synchronous=FULL` sync is paid once per batch
//! instead of once per write. No crate does this (sqlx and the pools
//! commit per statement); it is what makes the writes in BENCHMARKS.md.
//!
//! The queue is bounded, so an overload gets 503s instead of growing
//! memory, and a write whose caller has gone (timed out, disconnected) is
//! dropped unrun, so a client that was told "timeout" never finds its write
//! landed later.

use std::{
    panic::{catch_unwind, AssertUnwindSafe},
    sync::mpsc,
    thread,
};

use rusqlite::{Connection, TransactionBehavior};
use tokio::sync::oneshot;

use crate::store::{StoreError, StoreResult};

/// Upper bound on writes per transaction, so one batch's latency stays small.
const MAX_BATCH: usize = 256;
/// Writes waiting for the writer; beyond it the store answers "busy".
const MAX_QUEUED: usize = 4096;

/// A queued write, type-erased so one queue carries writes of any result.
trait Job: Send {
    /// Whoever asked for the write no longer waits for it.
    fn abandoned(&self) -> bool;
    /// Runs in the open transaction; returns whether it succeeded and how
    /// to answer once the commit's outcome is known.
    fn run(self: Box<Self>, conn: &Connection) -> (bool, Box<dyn Reply>);
    /// Answers without running (the transaction could not start).
    fn fail(self: Box<Self>, error: &StoreError);
}

trait Reply: Send {
    fn send(self: Box<Self>, commit_error: Option<&StoreError>);
}

struct Write<F, T> {
    work: F,
    answer: oneshot::Sender<StoreResult<T>>,
}

struct Answer<T> {
    result: StoreResult<T>,
    answer: oneshot::Sender<StoreResult<T>>,
}

impl<F, T> Job for Write<F, T>
where
    F: FnOnce(&Connection) -> StoreResult<T> + Send,
    T: Send + 'static,
{
    fn abandoned(&self) -> bool {
        self.answer.is_closed()
    }

    fn run(self: Box<Self>, conn: &Connection) -> (bool, Box<dyn Reply>) {
        let Write { work, answer } = *self;
        let result = catch_unwind(AssertUnwindSafe(|| work(conn))).unwrap_or_else(|panic| {
            Err(StoreError::internal(crate::panic_message(panic.as_ref())))
        });
        (result.is_ok(), Box::new(Answer { result, answer }))
    }

    fn fail(self: Box<Self>, error: &StoreError) {
        let _ = self.answer.send(Err(error.copy()));
    }
}

impl<T: Send> Reply for Answer<T> {
    fn send(self: Box<Self>, commit_error: Option<&StoreError>) {
        let result = match (commit_error, self.result) {
            // A write that succeeded inside a batch that did not commit did
            // not happen.
            (Some(error), Ok(_)) => Err(error.copy()),
            (_, result) => result,
        };
        let _ = self.answer.send(result);
    }
}

#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::SyncSender<Box<dyn Job>>,
}

impl Writer {
    /// Starts the writer thread. It stops when the last `Writer` is dropped.
    pub fn spawn(conn: Connection) -> std::io::Result<Self> {
        let (jobs, queue) = mpsc::sync_channel::<Box<dyn Job>>(MAX_QUEUED);
        thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || run(conn, queue))?;
        Ok(Self { jobs })
    }

    /// Runs `work` in the write transaction and resolves after the commit.
    /// Dropping the future before then cancels the write if it has not run.
    pub async fn write<T, F>(&self, work: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        let (answer, answered) = oneshot::channel();
        let stopped = || StoreError::unavailable("the SQLite writer has stopped");
        self.jobs
            .try_send(Box::new(Write { work, answer }))
            .map_err(|error| match error {
                mpsc::TrySendError::Full(_) => {
                    StoreError::unavailable("the SQLite writer has too many writes queued")
                }
                mpsc::TrySendError::Disconnected(_) => stopped(),
            })?;
        answered.await.map_err(|_| stopped())?
    }
}

fn run(mut conn: Connection, queue: mpsc::Receiver<Box<dyn Job>>) {
    while let Ok(first) = queue.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        batch.retain(|job| !job.abandoned());
        if !batch.is_empty() {
            run_batch(&mut conn, batch);
        }
    }
}

fn run_batch(conn: &mut Connection, batch: Vec<Box<dyn Job>>) {
    let tx = match conn.transaction_with_behavior(TransactionBehavior::Immediate) {
        Ok(tx) => tx,
        Err(error) => {
            let error = StoreError::from(error);
            batch.into_iter().for_each(|job| job.fail(&error));
            return;
        }
    };
    let mut replies = Vec::with_capacity(batch.len());
    let mut jobs = batch.into_iter();
    while let Some(job) = jobs.next() {
        // `BEGIN IMMEDIATE` may have waited for another process's lock
        // (up to the busy timeout): a caller that gave up meanwhile was
        // told its write failed, so it must not land now.
        if job.abandoned() {
            continue;
        }
        // A savepoint that cannot start or end leaves the transaction in an
        // unknown state: then the whole batch fails (and rolls back when
        // `tx` drops).
        let failure = match tx.execute_batch("SAVEPOINT job") {
            Err(error) => {
                let error = StoreError::from(error);
                job.fail(&error);
                Some(error)
            }
            Ok(()) => {
                let (ok, reply) = job.run(&tx);
                replies.push(reply);
                let end = if ok {
                    "RELEASE job"
                } else {
                    "ROLLBACK TO job; RELEASE job"
                };
                tx.execute_batch(end).err().map(StoreError::from)
            }
        };
        if let Some(error) = failure {
            tracing::error!(%error, "SQLite savepoint failed");
            replies.into_iter().for_each(|r| r.send(Some(&error)));
            jobs.for_each(|job| job.fail(&error));
            return;
        }
    }
    let outcome = tx.commit().map_err(StoreError::from).err();
    if let Some(error) = &outcome {
        tracing::error!(%error, cause = ?std::error::Error::source(error), "SQLite commit failed");
    }
    replies.into_iter().for_each(|r| r.send(outcome.as_ref()));
}
