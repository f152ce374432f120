"""The notebook's recordings as file bytes (`ganglion._recording`): what numpy gets back from
the NPZ, the errors that name the field, and, over random inputs, nothing but bytes or a
`GanglionError`. Runs in the wheel's environment (`cargo xtask wheel`, the test command)."""

import io
import os
import tempfile
import unittest

import numpy as np

from ganglion import GanglionError, Trainer
from ganglion._recording import recording_file


class RecordingFile(unittest.TestCase):
    def test_an_array_becomes_the_npz_the_data_crate_writes(self):
        activity = np.arange(12, dtype=np.float64).reshape(3, 4)
        weights = np.eye(3, k=1)
        data, name = recording_file(activity, rate_hz=2.5, names=["AVAL", "AVAR", "RIML"], labels=[0, 1, 1, -1],
                                    states=["forward", "reverse"], connectivity=weights)
        self.assertEqual(name, "recording.npz")
        npz = np.load(io.BytesIO(data))
        np.testing.assert_array_equal(npz["activity"], activity.astype(np.float32))
        self.assertEqual(npz["activity"].dtype, np.float32)
        self.assertEqual(float(npz["sampling_rate_hz"]), 2.5)
        self.assertEqual(list(npz["neuron_names"]), ["AVAL", "AVAR", "RIML"])
        self.assertEqual(list(npz["behaviour"]), [0, 1, 1, -1])
        self.assertEqual(list(npz["behaviour_names"]), ["forward", "reverse"])
        np.testing.assert_array_equal(npz["connectivity"], weights.astype(np.float32))

    def test_errors_name_the_field_and_what_was_expected(self):
        activity = np.zeros((3, 4))
        cases = [
            (dict(data=np.zeros(5), rate_hz=1.0), "shape", "neurons x frames"),
            (dict(data=np.array([["a", "b"]]), rate_hz=1.0), "shape", "real numbers"),
            (dict(data=activity), "bad_request", "rate_hz"),
            (dict(data=activity, rate_hz=-2.0), "bad_request", "rate_hz"),
            (dict(data=activity, rate_hz=1.0, names=["a"]), "shape", "names: 1 names for 3 neurons"),
            (dict(data=activity, rate_hz=1.0, labels=[0, 1]), "shape", "labels: expected 4"),
            (dict(data=activity, rate_hz=1.0, labels=[0.5] * 4), "shape", "integer codes"),
            (dict(data=activity, rate_hz=1.0, connectivity=np.zeros((2, 2))), "shape", "connectivity: expected 3 x 3"),
            (dict(data=b"\x93NUMPY"), "bad_request", "name="),
            (dict(data="/no/such/worm.mat"), "io", "/no/such/worm.mat"),
        ]
        for kwargs, code, words in cases:
            with self.subTest(kwargs=kwargs):
                with self.assertRaises(GanglionError) as raised:
                    recording_file(**kwargs)
                self.assertEqual(raised.exception.code, code)
                self.assertIn(words, str(raised.exception))

    def test_a_path_travels_as_its_bytes_and_name(self):
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "worm3.csv")
            with open(path, "wb") as file:
                file.write(b"AVAL,AVAR\n1,2\n")
            self.assertEqual(recording_file(path), (b"AVAL,AVAR\n1,2\n", "worm3.csv"))

    def test_random_inputs_give_bytes_or_a_ganglion_error(self):
        rng = np.random.default_rng(0)
        dtypes = [np.float32, np.float64, np.int16, np.uint8, np.bool_, np.complex64, np.str_, object]
        for trial in range(300):
            shape = tuple(int(n) for n in rng.integers(0, 4, size=rng.integers(0, 4)))
            dtype = dtypes[rng.integers(len(dtypes))]
            data = rng.normal(size=shape).astype(dtype) if dtype not in (np.str_, object) else np.full(shape, "x", dtype=dtype)
            rate = [None, 1.0, 0.0, float("nan"), 3][rng.integers(5)]
            names = None if rng.random() < 0.5 else ["n"] * int(rng.integers(0, 4))
            labels = None if rng.random() < 0.5 else rng.integers(-1, 3, size=rng.integers(0, 4))
            with self.subTest(trial=trial, shape=shape, dtype=dtype):
                try:
                    data_bytes, _ = recording_file(data, rate_hz=rate, names=names, labels=labels)
                except GanglionError:
                    continue
                self.assertEqual(np.load(io.BytesIO(data_bytes))["activity"].shape, shape)


class TrainerSettings(unittest.TestCase):
    def test_settings_become_the_js_api_options(self):
        trainer = Trainer(np.zeros((2, 8)), rate_hz=1.0, model="mlp", batch_size=4, validate_every=0)
        self.assertEqual(trainer.options, {"model": "mlp", "batchSize": 4, "validateEvery": 0, "steps": 200})
        self.assertEqual(trainer.status, "waiting")

    def test_unknown_settings_and_early_results_raise(self):
        with self.assertRaises(GanglionError) as raised:
            Trainer(np.zeros((2, 8)), rate_hz=1.0, stpes=10)
        self.assertIn("stpes", str(raised.exception))
        trainer = Trainer(np.zeros((2, 8)), rate_hz=1.0)
        with self.assertRaises(GanglionError) as raised:
            trainer.result()
        self.assertEqual(raised.exception.code, "running")


if __name__ == "__main__":
    unittest.main()
