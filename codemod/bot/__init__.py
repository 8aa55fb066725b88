"""The pull-request bot: one pull request per recipe per repository, reconciled on
every run (plan, branch, texts, the build stage). Talks to forges only through
:mod:`codemod.bot.forge`."""
