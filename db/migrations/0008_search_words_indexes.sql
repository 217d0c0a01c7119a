DROP INDEX "search_words_ws_word_trgm_idx";--> statement-breakpoint
CREATE INDEX "search_words_ws_word_prefix_idx" ON "search_words" USING btree ("workspace_id","word" collate "C");--> statement-breakpoint
CREATE INDEX "search_words_word_trgm_idx" ON "search_words" USING gin ("word" gin_trgm_ops);