package io.nbnet.store.staging;

import io.nbnet.store.StoreException;

/** Told of each host's part of a write once it is committed, or once its write failed. */
public interface IngestObserver {

  IngestObserver NONE = new IngestObserver() {
    @Override
    public void committed(StagedPart part) {
    }

    @Override
    public void failed(StagedPart part, StoreException why) {
    }
  };

  /** Called on the store's event loop. */
  void committed(StagedPart part);

  /**
   * Called on the store's event loop. {@link StoreException.Kind#UNAVAILABLE}: the rows may be committed
   * or not (the connection broke, a statement timed out) and the sender, told to try again, sends them
   * until they are; another kind: nothing of the part was committed.
   */
  void failed(StagedPart part, StoreException why);
}
