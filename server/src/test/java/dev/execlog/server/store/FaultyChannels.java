package dev.execlog.server.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Journal files whose {@code force} or {@code truncate} fail on demand: the disk faults a test
 * cannot otherwise cause without root or a full file system.
 */
final class FaultyChannels implements FileChannels {

  /** How many of the next forces fail. */
  final AtomicInteger failingForces = new AtomicInteger();
  /** How many of the next truncations fail. */
  final AtomicInteger failingTruncations = new AtomicInteger();

  @Override
  public FileChannel open(Path path, OpenOption... options) throws IOException {
    return new Faulty(FileChannel.open(path, options));
  }

  private static boolean take(AtomicInteger failures) {
    return failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
  }

  private final class Faulty extends FileChannel {
    private final FileChannel disk;

    Faulty(FileChannel disk) {
      this.disk = disk;
    }

    @Override
    public void force(boolean metaData) throws IOException {
      if (take(failingForces)) {
        throw new IOException("Input/output error (injected)");
      }
      disk.force(metaData);
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      if (take(failingTruncations)) {
        throw new IOException("Input/output error (injected)");
      }
      disk.truncate(size);
      return this;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return disk.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
      return disk.read(dsts, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      return disk.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      return disk.write(srcs, offset, length);
    }

    @Override
    public long position() throws IOException {
      return disk.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
      disk.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return disk.size();
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
      return disk.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
      return disk.transferFrom(src, position, count);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      return disk.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      return disk.write(src, position);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
      return disk.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
      return disk.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
      return disk.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
      disk.close();
    }
  }
}
