package io.nbnet.store.staging;

/** Told of each host's part of a write once it is committed, or once its write failed (committed or not: unknown). */
public interface IngestObserver {

  IngestObserver NONE = new IngestObserver() {
    @Override
    public void committed(StagedPart part) {
    }

    @Override
    public void failed(StagedPart part) {
    }
  };

  /** Called on the store's event loop. */
  void committed(StagedPart part);

  /** Called on the store's event loop. */
  void failed(StagedPart part);
}
