"""The real data sources, one module each (UD, WikiANN, CoNLL NER, XNLI, SQuAD and
XQuAD, labelled sentences, parallel text, the synthetic benchmark): what each
downloads, which local files it reads, how its files become a split's records and
what it cannot give. ``registry`` finds a task's source by its corpus kind."""
