// Generates the LangChain reference chunks that tests/unit/text/chunk_langchain_equivalence.cpp compares with.
//   node reference.mjs [OUT_DIR]   (default $AGENTKIT_DATA_DIR/chunking)
// Writes the corpus (corpus.mjs), then for each document and each configuration the chunks of
// @langchain/textsplitters RecursiveCharacterTextSplitter (default separators) and MarkdownTextSplitter, as
//   reference/<doc>.<splitter>.<chunkSize>_<overlap>.chunks : "<utf8 byte length>\n<bytes>\n" per chunk
// plus manifest.tsv: doc, splitter, chunkSize, overlap, status (ok | divergent: LangChain cut an emoji into
// lone UTF-16 surrogates, which no UTF-8 view can represent), file.
import fs from "node:fs";
import path from "node:path";
import { RecursiveCharacterTextSplitter, MarkdownTextSplitter } from "@langchain/textsplitters";
import { writeCorpus } from "./corpus.mjs";

const outDir = process.argv[2] ?? path.join(process.env.AGENTKIT_DATA_DIR ?? "data", "chunking");
const docs = writeCorpus(outDir);
const refDir = path.join(outDir, "reference");
fs.mkdirSync(refDir, { recursive: true });

const CONFIGS = [[512, 50], [1024, 100], [256, 25], [100, 20], [40, 0], [10, 3]];
const hasLoneSurrogate = (s) => /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);

const manifest = ["doc\tsplitter\tchunk_size\toverlap\tstatus\tfile"];
for (const [name, text] of Object.entries(docs)) {
  for (const [chunkSize, chunkOverlap] of CONFIGS) {
    const splitters = { recursive: new RecursiveCharacterTextSplitter({ chunkSize, chunkOverlap }) };
    if (name.startsWith("markdown")) splitters.markdown = new MarkdownTextSplitter({ chunkSize, chunkOverlap });
    for (const [kind, splitter] of Object.entries(splitters)) {
      const chunks = await splitter.splitText(text);
      const divergent = chunks.some(hasLoneSurrogate);
      const file = `${name}.${kind}.${chunkSize}_${chunkOverlap}.chunks`;
      const parts = [];
      for (const c of chunks) {
        const b = Buffer.from(c, "utf8");
        parts.push(Buffer.from(`${b.length}\n`), b, Buffer.from("\n"));
      }
      fs.writeFileSync(path.join(refDir, file), Buffer.concat(parts));
      manifest.push([name, kind, chunkSize, chunkOverlap, divergent ? "divergent" : "ok", file].join("\t"));
    }
  }
}
const pkg = JSON.parse(fs.readFileSync(new URL("./node_modules/@langchain/textsplitters/package.json", import.meta.url)));
fs.writeFileSync(path.join(refDir, "manifest.tsv"), manifest.join("\n") + "\n");
fs.writeFileSync(path.join(refDir, "VERSION"), `@langchain/textsplitters ${pkg.version}\n`);
console.error(`reference: ${manifest.length - 1} cases from @langchain/textsplitters ${pkg.version} in ${refDir}`);
