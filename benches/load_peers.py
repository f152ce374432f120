"""Load benchmark, Python side: writes one recording (neurons x frames) in every format
ganglion reads, then times the tool a scientist would use instead on each file.

usage: load_peers.py OUT_DIR NEURONS FRAMES REPEATS
Prints one JSON object: {"files": {format: path}, "peer": {format: {"tool", "seconds": [...]}}}.
"""
import json
import os
import sys
import time

import h5py
import numpy as np
import scipy.io


def write_all(out, activity, fps):
    n, t = activity.shape
    names = np.array([f"N{i}" for i in range(n)])
    files = {}
    files["npy"] = os.path.join(out, "activity.npy")
    np.save(files["npy"], activity)
    files["npz"] = os.path.join(out, "recording.npz")
    np.savez(files["npz"], activity=activity, sampling_rate_hz=np.float64(fps), neuron_names=names)
    files["csv"] = os.path.join(out, "recording.csv")
    header = "time," + ",".join(names)
    table = np.column_stack([np.arange(t) / fps, activity.T])
    np.savetxt(files["csv"], table, delimiter=",", header=header, comments="", fmt="%.7g")
    files["json"] = os.path.join(out, "recording.json")
    with open(files["json"], "w") as fh:
        json.dump({"format": "ganglion-recording", "version": 1, "sampling_rate_hz": fps,
                   "neurons": names.tolist(), "activity": activity.tolist()}, fh)
    files["mat_v5"] = os.path.join(out, "recording_v5.mat")
    scipy.io.savemat(files["mat_v5"], {"traces": activity.T, "fps": fps}, do_compression=False)
    files["mat_v73"] = os.path.join(out, "recording_v73.mat")
    with h5py.File(files["mat_v73"], "w", userblock_size=512) as f:
        d = f.create_dataset("traces", data=activity)  # MATLAB frames x neurons, stored transposed
        d.attrs["MATLAB_class"] = np.bytes_("double")
        r = f.create_dataset("fps", data=np.array([[fps]]))
        r.attrs["MATLAB_class"] = np.bytes_("double")
    with open(files["mat_v73"], "r+b") as fh:
        fh.write(b"MATLAB 7.3 MAT-file, Platform: bench HDF5 schema 1.00 .".ljust(124, b" ") + b"\x00\x02IM")
    files["nwb"] = os.path.join(out, "recording.nwb")
    with h5py.File(files["nwb"], "w") as f:
        f.attrs["nwb_version"] = "2.7.0"
        s = f.create_group("processing/ophys/DfOverF/RoiResponseSeries")
        s.attrs["neurodata_type"] = "RoiResponseSeries"
        s.create_dataset("data", data=activity.T)
        s.create_dataset("timestamps", data=np.arange(t) / fps)
        s.create_dataset("rois", data=np.arange(n))
    return files


def peers(files):
    def h5(path, dataset):
        with h5py.File(path, "r") as f:
            return f[dataset][()]

    def npz(path):
        with np.load(path) as z:
            return z["activity"], z["sampling_rate_hz"], z["neuron_names"]

    def js(path):
        with open(path) as fh:
            return np.asarray(json.load(fh)["activity"], dtype=np.float32)

    return {
        "npy": ("numpy.load", lambda: np.load(files["npy"])),
        "npz": ("numpy.load", lambda: npz(files["npz"])),
        "csv": ("numpy.loadtxt", lambda: np.loadtxt(files["csv"], delimiter=",", skiprows=1)),
        "json": ("json.load + numpy.asarray", lambda: js(files["json"])),
        "mat_v5": ("scipy.io.loadmat", lambda: scipy.io.loadmat(files["mat_v5"])),
        "mat_v73": ("h5py", lambda: h5(files["mat_v73"], "traces")),
        "nwb": ("h5py", lambda: h5(files["nwb"], "processing/ophys/DfOverF/RoiResponseSeries/data")),
    }


def main():
    out, n, t, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(302)
    activity = rng.standard_normal((n, t)).astype(np.float32)
    files = write_all(out, activity, 2.9)
    result = {"files": files, "peer": {}}
    for fmt, (tool, load) in peers(files).items():
        load()  # warm the page cache and imports
        seconds = []
        for _ in range(repeats):
            start = time.perf_counter()
            load()
            seconds.append(time.perf_counter() - start)
        result["peer"][fmt] = {"tool": tool, "seconds": seconds}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
