/** The Action: placeholder until wired. */
export async function run(): Promise<void> {}
