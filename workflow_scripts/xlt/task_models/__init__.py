"""Task models: what each task kind puts on an encoder (head, loss, decoding,
scoring; ``protocol``), which kind a task uses (``registry``), how a model is
fine-tuned (``training``) and stored (``storage``)."""
