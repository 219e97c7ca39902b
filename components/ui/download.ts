/** Hands a generated file to the browser as a download (the object URL is released once the click took it). */
export function downloadFile(fileName: string, body: BlobPart, contentType: string): void {
  const url = URL.createObjectURL(new Blob([body], { type: contentType }));
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
