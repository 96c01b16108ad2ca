package dev.execlog.cli;

import dev.execlog.client.ProgressListener;

/**
 * Shows the server's progress events of a long operation on stderr. {@link #close()} ends the
 * display once the call is over, successful or not.
 */
interface Progress extends ProgressListener, AutoCloseable {

  @Override
  void close();
}
