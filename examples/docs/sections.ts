/** Runs a guide's sections in order, each under a `## title` line; a failure sets the exit code. */
export function runSections(sections: [string, () => void | Promise<void>][]): void {
  (async () => {
    for (const [title, section] of sections) {
      console.log(`## ${title}`);
      await section();
    }
  })().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
