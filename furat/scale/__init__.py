"""Running the pipeline on more than one core: worker processes on one machine
(`furat.scale.workers`, behind `--workers N`) and a Dask cluster (`furat.scale.batch`, behind
`furat batch --engine dask`).

Both keep the shape of a one-process run: the parent reads the inputs (the ingest stage, so raw
inputs and input problems stay where the store and the progress line are), sends documents in
ordered chunks to workers that each build the pipeline once, and takes the results back in input
order; only the parent writes (stdout, the store, or the Parquet files).
"""

from furat.scale.workers import ParallelPipeline, chunks

__all__ = ["ParallelPipeline", "chunks"]
