"""Who is speaking: speaker embeddings of speech windows, clustered into numbered speakers (issue 22).

`features` (Kaldi log-mel fbank, numpy) -> `embedder` (CAM++ on onnxruntime) -> `diarizer` (windows over
the speech it is fed, embedded as they arrive) -> `clustering` (how many speakers and who is who).
No Qt; the model file itself is found and checked by `voicedesk.models.speaker_model`.
"""
