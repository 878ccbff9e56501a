package io.fnwatch.notify;

/** Where given-up notices go; {@link #write} returns only once the dead letter is stored. */
@FunctionalInterface
public interface DeadLetters {

    void write(NotifyDeadLetter letter) throws Exception;
}
