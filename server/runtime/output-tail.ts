/** The last bytes a process printed, for error messages; secrets are masked before anyone sees them. */
export class OutputTail {
  private text_ = "";

  constructor(
    private readonly maxChars: number,
    private readonly secrets: string[] = [],
  ) {}

  push(chunk: Buffer) {
    this.text_ = (this.text_ + chunk.toString("utf8")).slice(-this.maxChars);
  }

  text(): string {
    return this.secrets.reduce((t, s) => (s ? t.replaceAll(s, "***") : t), this.text_).trim();
  }
}
