package io.rtmprouter.balance;

/**
 * A client waiting for a server slot. The pool calls {@link Waiter#granted} once, outside its
 * lock, when a slot is taken for it; the order of arrival decides between queues.
 */
final class QueuedRequest {
    final BackendPool.Waiter waiter;
    final long sequence;
    Server queuedOn;

    QueuedRequest(BackendPool.Waiter waiter, long sequence) {
        this.waiter = waiter;
        this.sequence = sequence;
    }
}
