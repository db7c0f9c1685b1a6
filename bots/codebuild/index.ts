import type { Bot } from '../types';
import codebuild_disable_privileged_mode from './codebuild_disable_privileged_mode';
import codebuild_remove_clear_text_credentials from './codebuild_remove_clear_text_credentials';

/** The CodeBuild bots, in catalog order. */
export const CODEBUILD_BOTS: readonly Bot[] = [codebuild_remove_clear_text_credentials, codebuild_disable_privileged_mode];
