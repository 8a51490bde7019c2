"""Official reports: what a document says, and how it reaches paper and Excel.

``document`` is the model (letterhead, title, paragraphs, tables, signature
block) in the layout of Nghị định 30/2020/NĐ-CP; ``pdf`` and ``xlsx`` render
the same model; ``fonts`` finds Times New Roman or the bundled Liberation
Serif; ``letterhead`` derives the header and signature from the installation;
``literacy`` declares the literacy survey's documents, ``models`` the learning
models' (statistical sheet, recognition decision); ``signing`` signs and
checks the files. Nothing here reads the database: the services gather the
figures and hand them over.
"""
