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
//! instead of once per write.

use std::{
    any::Any,
    panic::{catch_unwind, AssertUnwindSafe},
    sync::{
        atomic::{AtomicU64, Ordering},
        mpsc, Arc,
    },
    thread,
};

use rusqlite::{Connection, TransactionBehavior};
use tokio::sync::oneshot;

use super::errors::from_sqlite;
use crate::store::{StoreError, StoreResult};

/// Upper bound on writes per transaction, so one batch's latency stays small.
const MAX_BATCH: usize = 256;

/// A queued write, type-erased so one queue carries writes of any result.
trait Job: Send {
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
    fn run(self: Box<Self>, conn: &Connection) -> (bool, Box<dyn Reply>) {
        let Write { work, answer } = *self;
        let result = catch_unwind(AssertUnwindSafe(|| work(conn)))
            .unwrap_or_else(|panic| Err(StoreError::internal(panic_message(panic))));
        (result.is_ok(), Box::new(Answer { result, answer }))
    }

    fn fail(self: Box<Self>, error: &StoreError) {
        let _ = self.answer.send(Err(copy_of(error)));
    }
}

impl<T: Send> Reply for Answer<T> {
    fn send(self: Box<Self>, commit_error: Option<&StoreError>) {
        let result = match (commit_error, self.result) {
            // A write that succeeded inside a batch that did not commit did
            // not happen.
            (Some(error), Ok(_)) => Err(copy_of(error)),
            (_, result) => result,
        };
        let _ = self.answer.send(result);
    }
}

#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Box<dyn Job>>,
    generation: Arc<AtomicU64>,
}

impl Writer {
    /// Starts the writer thread. It stops when the last `Writer` is dropped.
    pub fn spawn(conn: Connection) -> std::io::Result<Self> {
        let (jobs, queue) = mpsc::channel::<Box<dyn Job>>();
        let generation = Arc::new(AtomicU64::new(0));
        let bumps = generation.clone();
        thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || run(conn, queue, &bumps))?;
        Ok(Self { jobs, generation })
    }

    /// How many write transactions have ended. It grows after every commit
    /// and before any of its writers is answered, so a value read before a
    /// query that is still current afterwards means no write of this
    /// process landed in between (what the timeline cache relies on).
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Runs `work` in the write transaction and resolves after the commit.
    pub async fn write<T, F>(&self, work: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        let (answer, answered) = oneshot::channel();
        let stopped = || StoreError::unavailable("the SQLite writer has stopped");
        self.jobs
            .send(Box::new(Write { work, answer }))
            .map_err(|_| stopped())?;
        answered.await.map_err(|_| stopped())?
    }
}

fn run(mut conn: Connection, queue: mpsc::Receiver<Box<dyn Job>>, generation: &AtomicU64) {
    while let Ok(first) = queue.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        run_batch(&mut conn, batch, generation);
    }
}

fn run_batch(conn: &mut Connection, batch: Vec<Box<dyn Job>>, generation: &AtomicU64) {
    let tx = match conn.transaction_with_behavior(TransactionBehavior::Immediate) {
        Ok(tx) => tx,
        Err(error) => {
            let error = from_sqlite(error);
            batch.into_iter().for_each(|job| job.fail(&error));
            return;
        }
    };
    let mut replies = Vec::with_capacity(batch.len());
    let mut jobs = batch.into_iter();
    while let Some(job) = jobs.next() {
        // A savepoint that cannot start or end leaves the transaction in an
        // unknown state: then the whole batch fails (and rolls back when
        // `tx` drops).
        let failure = match tx.execute_batch("SAVEPOINT job") {
            Err(error) => {
                let error = from_sqlite(error);
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
                tx.execute_batch(end).err().map(from_sqlite)
            }
        };
        if let Some(error) = failure {
            tracing::error!(%error, "SQLite savepoint failed");
            replies.into_iter().for_each(|r| r.send(Some(&error)));
            jobs.for_each(|job| job.fail(&error));
            return;
        }
    }
    let outcome = tx.commit().map_err(from_sqlite).err();
    // Before the answers: whoever hears "done" reads a newer generation.
    generation.fetch_add(1, Ordering::AcqRel);
    if let Some(error) = &outcome {
        tracing::error!(%error, cause = ?std::error::Error::source(error), "SQLite commit failed");
    }
    replies.into_iter().for_each(|r| r.send(outcome.as_ref()));
}

/// `StoreError` holds a boxed cause and is not `Clone`; every caller of a
/// failed batch gets the same kind, with the cause's text.
fn copy_of(error: &StoreError) -> StoreError {
    match error {
        StoreError::Unavailable(cause) => StoreError::unavailable(cause.to_string()),
        StoreError::Corrupt(what) => StoreError::Corrupt(what.clone()),
        other => StoreError::internal(other.to_string()),
    }
}

fn panic_message(panic: Box<dyn Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic in a SQLite write".into())
}
