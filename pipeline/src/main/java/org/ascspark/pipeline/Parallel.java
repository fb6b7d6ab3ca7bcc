package org.ascspark.pipeline;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs tasks on a fixed pool of daemon threads and returns their results in task order. */
public final class Parallel {
  private Parallel() {}

  /**
   * One task.
   *
   * @param <T> its result
   */
  @FunctionalInterface
  public interface Task<T> {
    /**
     * @return the result
     * @throws IOException on failure
     */
    T call() throws IOException;
  }

  /**
   * Runs the tasks, at most {@code threads} at a time; the first failure (in task order) is thrown
   * as it was thrown by the task, and the remaining tasks are interrupted.
   *
   * @param threads pool size (at least 1)
   * @param name thread name prefix and the subject of error messages, e.g. {@code synth}
   * @param tasks the tasks
   * @param <T> their result
   * @return the results, in task order
   * @throws IOException a task's, or {@link InterruptedIOException} when interrupted
   */
  public static <T> List<T> run(int threads, String name, List<Task<T>> tasks) throws IOException {
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (Task<T> task : tasks) {
        futures.add(pool.submit(task::call));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException io = new InterruptedIOException(name + " interrupted");
      io.initCause(e);
      throw io;
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException re) {
        throw re;
      }
      if (c instanceof IOException io) {
        throw io;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(name + " failed", c);
    } finally {
      pool.shutdownNow();
    }
  }
}
