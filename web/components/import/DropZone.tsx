import { useId, useState, type DragEvent } from "react";
import { UploadIcon } from "../icons";
import { buttonClasses } from "../ui/Button";

/** Drop a file or pick one; the input is visually hidden behind a real button-looking label. */
export function DropZone({ onFile }: { onFile: (file: File) => void }) {
  const id = useId();
  const [over, setOver] = useState(false);
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const file = e.dataTransfer.files[0];
    if (file) onFile(file);
  };
  return (
    <div
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      className={`flex flex-col items-center rounded-xl border-2 border-dashed px-6 py-10 text-center transition-colors ${over ? "border-accent bg-accent-soft" : "border-slate-300 bg-white"}`}
    >
      <span className="inline-flex size-10 items-center justify-center rounded-full bg-slate-100 text-slate-600">
        <UploadIcon width={20} height={20} />
      </span>
      <p className="mt-3 text-sm text-slate-700">Drop a CSV file here, or</p>
      <label htmlFor={id} className={`${buttonClasses("secondary")} mt-2 cursor-pointer has-focus-visible:outline-2 has-focus-visible:outline-offset-2 has-focus-visible:outline-accent`}>
        Choose a CSV file
        <input
          id={id}
          type="file"
          accept=".csv,.tsv,.txt,text/csv"
          className="sr-only"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) onFile(file);
            e.target.value = "";
          }}
        />
      </label>
      <p className="mt-2 text-xs text-slate-500">UTF-8, comma-, semicolon- or tab-separated</p>
    </div>
  );
}
